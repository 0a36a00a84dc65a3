import { useRef, type KeyboardEvent, type ReactNode } from 'react';

interface TabListProps<T extends string> {
  /** Prefix of the element ids: the tab is `${name}-tab-${id}`, its panel `${name}-panel-${id}`. */
  name: string;
  label: string;
  ids: readonly T[];
  selected: T;
  onSelect: (id: T) => void;
  tabLabel: (id: T) => string;
}

/**
 * A row of tabs with roving focus (WAI-ARIA tabs pattern): only the selected tab is in the tab
 * order, the arrow keys (wrapping), Home and End move to another tab and select it at once.
 */
export function TabList<T extends string>({ name, label, ids, selected, onSelect, tabLabel }: TabListProps<T>) {
  const tabs = useRef(new Map<T, HTMLButtonElement>());

  const onKey = (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const last = ids.length - 1;
    const moves: Record<string, number> = {
      ArrowRight: index === last ? 0 : index + 1,
      ArrowLeft: index === 0 ? last : index - 1,
      Home: 0,
      End: last,
    };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const target = ids[next]!;
    onSelect(target);
    tabs.current.get(target)?.focus();
  };

  return (
    <div role="tablist" aria-label={label} className="tabs">
      {ids.map((id, index) => (
        <button
          key={id}
          ref={(element) => {
            if (element) tabs.current.set(id, element);
            else tabs.current.delete(id);
          }}
          type="button"
          role="tab"
          id={`${name}-tab-${id}`}
          aria-selected={id === selected}
          aria-controls={`${name}-panel-${id}`}
          tabIndex={id === selected ? 0 : -1}
          onClick={() => onSelect(id)}
          onKeyDown={(event) => onKey(event, index)}
        >
          {tabLabel(id)}
        </button>
      ))}
    </div>
  );
}

interface TabPanelProps {
  /** The same name as the TabList's, so the panel and its tab point at each other. */
  name: string;
  id: string;
  selected: boolean;
  className?: string;
  children: ReactNode;
}

/** The part shown under a tab. Hidden panels stay mounted, so nothing typed in them is lost. */
export function TabPanel({ name, id, selected, className, children }: TabPanelProps) {
  return (
    <div
      role="tabpanel"
      id={`${name}-panel-${id}`}
      aria-labelledby={`${name}-tab-${id}`}
      hidden={!selected}
      tabIndex={0}
      className={className ? `tabs__panel ${className}` : 'tabs__panel'}
    >
      {children}
    </div>
  );
}
