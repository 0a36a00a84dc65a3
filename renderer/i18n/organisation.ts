/** Texts of the organisation screens, under t('organisation.…'). The English object must have the same keys as the Swedish one. */
const sv = {
  title: 'organisation',
};

export const organisationMessages: { sv: typeof sv; en: typeof sv } = {
  sv,
  en: {
    title: 'organisation',
  },
};
