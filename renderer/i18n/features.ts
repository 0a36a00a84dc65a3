import { accesslogMessages } from './accesslog';
import { journalMessages } from './journal';
import { organisationMessages } from './organisation';
import { receptionMessages } from './reception';
import { scheduleMessages } from './schedule';

/** Each feature keeps its texts in its own file under a namespace of its own (t('schedule.…')). */
export const featureMessages = {
  sv: {
    reception: receptionMessages.sv,
    schedule: scheduleMessages.sv,
    organisation: organisationMessages.sv,
    journal: journalMessages.sv,
    accesslog: accesslogMessages.sv,
  },
  en: {
    reception: receptionMessages.en,
    schedule: scheduleMessages.en,
    organisation: organisationMessages.en,
    journal: journalMessages.en,
    accesslog: accesslogMessages.en,
  },
};
