import type { JournalEntryView } from '../../../preload/contract/index';

export type EntryKind = JournalEntryView['kind'];

/** A signed entry with the amendments that correct it (and amendments of those), oldest amendment first. */
export interface EntryThread {
  original: JournalEntryView;
  amendments: JournalEntryView[];
}

/**
 * Groups signed entries under the entry each amendment ultimately corrects, so that an amendment is
 * always read beside its original and the original is never replaced.
 */
export function threadsOf(entries: readonly JournalEntryView[], order: 'newest' | 'oldest'): EntryThread[] {
  const signed = entries.filter((entry) => entry.status === 'signed');
  const byId = new Map(signed.map((entry) => [entry.id, entry]));
  const rootOf = (entry: JournalEntryView): JournalEntryView => {
    let current = entry;
    const seen = new Set<string>();
    while (current.amendsId && byId.has(current.amendsId) && !seen.has(current.id)) {
      seen.add(current.id);
      current = byId.get(current.amendsId)!;
    }
    return current;
  };
  const threads = new Map<string, EntryThread>();
  for (const entry of signed) {
    const root = rootOf(entry);
    if (root.id === entry.id) threads.set(entry.id, { original: entry, amendments: threads.get(entry.id)?.amendments ?? [] });
    else {
      const thread = threads.get(root.id) ?? { original: root, amendments: [] };
      thread.amendments.push(entry);
      threads.set(root.id, thread);
    }
  }
  const byTime = (a: JournalEntryView, b: JournalEntryView) => (a.signedAt ?? a.createdAt).localeCompare(b.signedAt ?? b.createdAt);
  const list = [...threads.values()];
  for (const thread of list) thread.amendments.sort(byTime);
  list.sort((a, b) => byTime(a.original, b.original));
  return order === 'newest' ? list.reverse() : list;
}

/** The entry an amendment corrects, for the line "Rättar anteckningen från …". */
export function amendedEntry(entries: readonly JournalEntryView[], amendment: JournalEntryView): JournalEntryView | undefined {
  return entries.find((entry) => entry.id === amendment.amendsId);
}

/** Puts a saved or signed entry into the list in place of its earlier version. */
export function upsertEntry(entries: readonly JournalEntryView[], entry: JournalEntryView): JournalEntryView[] {
  return entries.some((candidate) => candidate.id === entry.id)
    ? entries.map((candidate) => (candidate.id === entry.id ? entry : candidate))
    : [...entries, entry];
}
