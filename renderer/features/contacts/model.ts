import type { ContactFilter, ContactView } from '../../../preload/contract/index';

export const ALL_CONTACTS: ContactFilter = { status: 'all', agencyKind: null, municipalityCode: null, text: '' };
export const CURRENT_CONTACTS: ContactFilter = { ...ALL_CONTACTS, status: 'current' };

/** "Polisen, lokalpolisområde Exempel – Brottsofferenheten": the agency, and the unit when there is one. */
export function agencyLine(contact: { agency: string; unit: string | null }): string {
  return contact.unit ? `${contact.agency} – ${contact.unit}` : contact.agency;
}

/** Whether the person was a contact person on that day (the end date is the assignment's last day). */
export function inNetworkOn(contact: Pick<ContactView, 'assignmentStart' | 'assignmentEnd'>, date: string): boolean {
  return contact.assignmentStart <= date && (contact.assignmentEnd === null || contact.assignmentEnd >= date);
}
