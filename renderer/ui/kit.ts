/**
 * react-aria writes one rule of its own into an inline <style> unless the page already has an
 * element with this id. Inline styles break the Content-Security-Policy (style-src 'self'), so the
 * rule lives in tokens.css and this marker tells react-aria it is there. Call once, before rendering.
 */
export const PRESSABLE_STYLE_ID = 'react-aria-pressable-style';

export function markKitStylesPresent(doc: Document = document): void {
  if (doc.getElementById(PRESSABLE_STYLE_ID)) return;
  const marker = doc.createElement('meta');
  marker.id = PRESSABLE_STYLE_ID;
  marker.name = PRESSABLE_STYLE_ID;
  marker.content = 'tokens.css';
  doc.head.append(marker);
}
