/** Texts of the schedule screens, under t('schedule.…'). The English object must have the same keys as the Swedish one. */
const sv = {
  title: 'schedule',
};

export const scheduleMessages: { sv: typeof sv; en: typeof sv } = {
  sv,
  en: {
    title: 'schedule',
  },
};
