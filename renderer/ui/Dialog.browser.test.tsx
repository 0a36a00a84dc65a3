import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { render } from 'vitest-browser-react';
import { userEvent } from 'vitest/browser';
import { Dialog } from './Dialog';

/** A screen with a button before and after, and the dialog it opens. */
function Screen({ onClosed }: { onClosed: () => void }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button">Före</button>
      <button type="button" onClick={() => setOpen(true)}>
        Avboka tiden
      </button>
      <button type="button">Efter</button>
      {open ? (
        <Dialog
          title="Avboka?"
          onClose={() => {
            setOpen(false);
            onClosed();
          }}
        >
          <label>
            Skäl <input />
          </label>
          <button type="button" data-autofocus>
            Behåll tiden
          </button>
          <button type="button">Avboka</button>
        </Dialog>
      ) : null}
    </>
  );
}

describe('the kit dialog in a browser', () => {
  it('takes the focus to its chosen button, keeps Tab inside, closes on Escape and gives the focus back', async () => {
    let closed = 0;
    const screen = await render(<Screen onClosed={() => (closed += 1)} />);
    const opener = screen.getByRole('button', { name: 'Avboka tiden' });
    await opener.click();
    const dialog = screen.getByRole('dialog', { name: 'Avboka?' });
    await expect.element(dialog).toBeVisible();
    await expect.element(screen.getByRole('button', { name: 'Behåll tiden' })).toHaveFocus();

    // Tab and Shift+Tab go through the dialog's own fields and buttons and never reach the screen
    // behind it (past the last one the browser may take the focus out of the page, never to the screen).
    const behind = ['Före', 'Avboka tiden', 'Efter'].map((name) => screen.getByRole('button', { name, includeHidden: true }).element());
    const visited = new Set<string>();
    for (const key of ['{Tab}', '{Tab}', '{Tab}', '{Tab}', '{Shift>}{Tab}{/Shift}', '{Shift>}{Tab}{/Shift}', '{Shift>}{Tab}{/Shift}']) {
      await userEvent.keyboard(key);
      const active = document.activeElement;
      expect(
        behind.some((element) => element === active),
        `${key} reached ${active?.textContent}`,
      ).toBe(false);
      if (active && dialog.element().contains(active)) visited.add(active.tagName === 'INPUT' ? 'Skäl' : (active.textContent ?? ''));
      else expect(active === document.body || active === null, `${key} reached ${active?.outerHTML}`).toBe(true);
    }
    expect([...visited].sort()).toEqual(['Avboka', 'Behåll tiden', 'Skäl']);
    // The screen behind cannot take the focus at all while the dialog is open.
    (behind[0] as HTMLElement).focus();
    expect(document.activeElement).not.toBe(behind[0]);

    await userEvent.keyboard('{Escape}');
    await expect.element(dialog).not.toBeInTheDocument();
    expect(closed).toBe(1);
    await expect.element(opener).toHaveFocus();
  });
});
