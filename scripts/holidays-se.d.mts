/** Sweden's part of the installed date-holidays' data, as preload/domain/holidays-se.json holds it. */
export function swedishHolidayData(
  source?: object,
  countryYaml?: string,
): {
  attribution: { work: string; license: string; changes: string; sources: string[] };
  version: string;
  license: string;
  holidays: Record<string, unknown>;
  names: Record<string, unknown>;
};
export const OUTPUT: string;
