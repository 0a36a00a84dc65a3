import { accesslogMessages } from './accesslog';
import { calendarMessages } from './calendar';
import { contactsMessages } from './contacts';
import { backupMessages } from './backup';
import { journalMessages } from './journal';
import { organisationMessages } from './organisation';
import { receptionMessages } from './reception';
import { scheduleMessages } from './schedule';
import { serverMessages } from './server';
import { startMessages } from './start';
import { statsMessages } from './stats';

/** Each feature keeps its texts in its own file under a namespace of its own (t('schedule.…')). */
export const featureMessages = {
  sv: {
    reception: receptionMessages.sv,
    schedule: scheduleMessages.sv,
    calendar: calendarMessages.sv,
    organisation: organisationMessages.sv,
    journal: journalMessages.sv,
    accesslog: accesslogMessages.sv,
    contacts: contactsMessages.sv,
    stats: statsMessages.sv,
    backup: backupMessages.sv,
    start: startMessages.sv,
    server: serverMessages.sv,
  },
  en: {
    reception: receptionMessages.en,
    schedule: scheduleMessages.en,
    calendar: calendarMessages.en,
    organisation: organisationMessages.en,
    journal: journalMessages.en,
    accesslog: accesslogMessages.en,
    contacts: contactsMessages.en,
    stats: statsMessages.en,
    backup: backupMessages.en,
    start: startMessages.en,
    server: serverMessages.en,
  },
};
