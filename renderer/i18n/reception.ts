/** Texts of the reception screens, under t('reception.…'). The English object must have the same keys as the Swedish one. */
const sv = {
  title: 'reception',
};

export const receptionMessages: { sv: typeof sv; en: typeof sv } = {
  sv,
  en: {
    title: 'reception',
  },
};
