/**
 * Word lists for the demo journal (`seed-demo`). Every person made from them is obviously invented:
 * common first names joined to surnames that no one carries ("Påhittsson", "Låtsasberg"), streets
 * that do not exist, and phone numbers from the series the Swedish Post and Telecom Authority (PTS)
 * keeps for fiction, which are never given to a subscriber. Nothing here comes from a real case.
 * Kept under main/cli/ because the CLI ships with the app and main/ may not import tests/.
 */

export const WOMEN_FIRST_NAMES = [
  'Anna',
  'Karin',
  'Maria',
  'Sara',
  'Emma',
  'Linnea',
  'Johanna',
  'Elin',
  'Ida',
  'Hanna',
  'Malin',
  'Jenny',
  'Camilla',
  'Sofia',
  'Lena',
  'Eva',
  'Therese',
  'Frida',
  'Matilda',
  'Amanda',
  'Ulrika',
  'Pernilla',
  'Josefin',
  'Helena',
  'Åsa',
  'Petra',
  'Annika',
  'Lisa',
  'Moa',
  'Nora',
  'Fatima',
  'Amina',
  'Leyla',
  'Hodan',
  'Shirin',
  'Agnieszka',
  'Mirela',
  'Selam',
  'Nasrin',
  'Yasmin',
] as const;

export const MEN_FIRST_NAMES = [
  'Erik',
  'Johan',
  'Anders',
  'Lars',
  'Mikael',
  'Peter',
  'Fredrik',
  'Daniel',
  'Andreas',
  'Marcus',
  'Patrik',
  'Jonas',
  'Tobias',
  'Magnus',
  'Henrik',
  'Niklas',
  'Stefan',
  'Mattias',
  'Robin',
  'Kristoffer',
  'Joakim',
  'Emil',
  'Viktor',
  'Oskar',
  'Sebastian',
  'Ahmed',
  'Omar',
  'Yusuf',
  'Dawit',
  'Reza',
  'Tomasz',
  'Adnan',
  'Ali',
  'Goran',
  'Jamal',
] as const;

export const GIRLS_FIRST_NAMES = [
  'Elsa',
  'Alice',
  'Maja',
  'Vera',
  'Alma',
  'Ella',
  'Wilma',
  'Ebba',
  'Saga',
  'Olivia',
  'Agnes',
  'Selma',
  'Stella',
  'Klara',
  'Leah',
  'Lilly',
  'Ester',
  'Signe',
  'Nour',
  'Sumaya',
] as const;

export const BOYS_FIRST_NAMES = [
  'Liam',
  'Noah',
  'William',
  'Hugo',
  'Lucas',
  'Oliver',
  'Elias',
  'Adam',
  'Alexander',
  'Vincent',
  'Leo',
  'Theo',
  'Melvin',
  'Nils',
  'Ludvig',
  'Axel',
  'Isak',
  'Malte',
  'Yousef',
  'Zakaria',
] as const;

/** First halves of invented surnames: words for make-believe, so every combination reads as fiction. */
const SURNAME_STEMS = [
  'Påhitt',
  'Låtsas',
  'Fiktiv',
  'Dikt',
  'Sago',
  'Fantasi',
  'Drömme',
  'Exempel',
  'Prov',
  'Sken',
  'Skiss',
  'Lek',
  'Fabel',
  'Myt',
] as const;
const SURNAME_ENDINGS = ['sson', 'berg', 'ström', 'lund', 'dahl', 'qvist', 'gren', 'mark', 'holm', 'vik', 'by', 'sjö'] as const;

export const SURNAMES: readonly string[] = SURNAME_STEMS.flatMap((stem) => SURNAME_ENDINGS.map((ending) => `${stem}${ending}`));

/** Staff: first names and surnames that say what the person does, as in the test fixtures. */
export const STAFF_FIRST_NAMES = [
  'Vera',
  'Per',
  'Tage',
  'Signe',
  'Bertil',
  'Greta',
  'Holger',
  'Inga',
  'Folke',
  'Solveig',
  'Arvid',
  'Dagny',
  'Gunnar',
  'Märta',
  'Einar',
  'Ragnhild',
  'Sten',
  'Ylva',
] as const;
export const STAFF_SURNAMES = [
  'Behandlarsson',
  'Terapeutsson',
  'Samtalsberg',
  'Stödqvist',
  'Lyssnarström',
  'Omsorgsdahl',
  'Tryggvesson',
  'Varsamlund',
  'Hjälpgren',
  'Lugnholm',
  'Trösterby',
  'Modigsjö',
] as const;
export const RECEPTIONIST_NAMES = ['Rut Receptionsdotter', 'Disa Diskström', 'Tora Tidbokarsson'] as const;

export const STREETS = [
  'Påhittargatan',
  'Låtsasvägen',
  'Exempelstigen',
  'Sagogränd',
  'Drömvägen',
  'Fantasigatan',
  'Diktarvägen',
  'Fabelgatan',
  'Skissgränd',
  'Provstigen',
] as const;

/**
 * PTS's numbers for books, films and the like (never assigned to a subscriber): the demo's phone numbers
 * come only from these series. [prefix, first, last] of the last digits.
 */
export const FICTION_PHONE_SERIES: readonly (readonly [string, number, number])[] = [
  ['070-17 40 ', 605, 699],
  ['031-390 0', 600, 699],
  ['040-628 0', 400, 499],
  ['08-465 00', 400, 499],
  ['0980-31 9', 200, 299],
];

export const LANGUAGES_OTHER_THAN_SWEDISH: readonly (readonly [string, number])[] = [
  ['arabiska', 30],
  ['somaliska', 12],
  ['tigrinja', 10],
  ['persiska', 8],
  ['dari', 8],
  ['polska', 8],
  ['bosniska', 6],
  ['engelska', 8],
  ['kurdiska', 6],
  ['thai', 4],
];

export const SAFE_TIMES = [
  'Vardagar 09–11',
  'Efter kl. 15',
  'Förmiddagar',
  'Tisdagar och torsdagar',
  'När barnen är i skolan',
  'Lunchtid 12–13',
  'Endast när hon själv har ringt',
] as const;

export const CODE_WORDS = [
  'Fråga efter Maja på vårdcentralen',
  'Säg att det gäller en tandläkartid',
  'Presentera dig som Eva från biblioteket',
  'Fråga om beställningen från apoteket',
  'Säg att du ringer från försäkringskassan om ett brev',
] as const;

export const CONTACT_INSTRUCTIONS = [
  'Lägg på om någon annan svarar',
  'Skicka inga sms',
  'Ring från dolt nummer',
  'Lämna aldrig meddelande',
  'Sms:a först, ring när hon svarar',
  'Ring endast på jobbtelefonen',
] as const;

export const INTAKE_REASONS: Record<'victim' | 'perpetrator' | 'child', readonly string[]> = {
  victim: [
    'Psykiskt och fysiskt våld i nuvarande relation',
    'Hot och kontroll från tidigare partner',
    'Vill ha stöd efter uppbrott',
    'Ekonomiskt och psykiskt våld under flera år',
    'Polisanmälan om misshandel, erbjuds stöd',
    'Trakasserier via telefon efter separation',
    'Oro för barnen efter våld i hemmet',
  ],
  perpetrator: [
    'Vill sluta använda våld mot partner',
    'Motiverad av frivården efter dom',
    'Har utövat psykiskt våld, söker hjälp själv',
    'Socialtjänsten har motiverat till kontakt',
    'Återkommande aggressivitet i relationen',
  ],
  child: [
    'Har upplevt våld mellan föräldrarna',
    'Oro från skolan efter berättelse om våld hemma',
    'Mamma söker stöd för barnet',
    'Remiss från socialtjänsten efter utredning',
    'Sömnsvårigheter och oro efter händelse i hemmet',
  ],
};

export const REFERRAL_NOTES: Partial<Record<string, readonly string[]>> = {
  police: ['Polisanmälan', 'Brottsoffersamordnare hänvisar'],
  social_services: ['Remiss från IFO', 'Handläggare på socialtjänsten'],
  probation: ['Frivården, efter behandlingsprogram', 'Frivårdsinspektör'],
  womens_shelter: ['Kvinnojouren hänvisar'],
  school: ['Skolkurator', 'Elevhälsan'],
  primary_care: ['Vårdcentralen'],
  hospital: ['Akutmottagningen', 'Kvinnokliniken'],
  victim_support: ['Brottsofferjouren'],
  prosecution: ['Åklagarkammaren'],
  rfsl: ['RFSL Stödmottagning'],
};

export const REFERRED_TO = [
  'Kvinnojouren',
  'Socialtjänsten (IFO)',
  'Vuxenpsykiatrin',
  'BUP',
  'Beroendemottagningen',
  'Brottsofferjouren',
  'Familjerätten',
  'Vårdcentralen',
] as const;

export const CANCEL_REASONS = [
  'Klienten lämnade återbud',
  'Klienten sjuk',
  'Behandlaren sjuk',
  'Klienten kan inte ta sig hit',
  'Krock med annan tid',
] as const;

export const GROUP_NAMES: Record<'victim' | 'perpetrator' | 'child', string> = {
  victim: 'Kvinnogrupp',
  perpetrator: 'Mansgrupp',
  child: 'Barngrupp',
};

/**
 * Rough relative sizes of the municipalities (inhabitants, in thousands), so that the bigger towns
 * send more clients. Codes not listed here count as 3.
 */
export const MUNICIPALITY_WEIGHTS: Record<string, number> = {
  '1496': 57, // Skövde
  '1494': 40, // Lidköping
  '1499': 33, // Falköping
  '1493': 24, // Mariestad
  '1495': 19, // Skara
  '1470': 16, // Vara
  '1498': 13, // Tidaholm
  '1471': 13, // Götene
  '1472': 11, // Tibro
  '1473': 9, // Töreboda
  '1497': 9, // Hjo
  '1446': 7, // Karlsborg
  '1444': 6, // Grästorp
  '1445': 6, // Essunga
  '1447': 5, // Gullspång
  '1490': 114, // Borås
  '1441': 43, // Lerum
  '1489': 42, // Alingsås
  '1463': 35, // Mark
  '1491': 25, // Ulricehamn
  '1442': 12, // Vårgårda
  '1452': 12, // Tranemo
  '1465': 11, // Svenljunga
  '1443': 10, // Bollebygd
  '1466': 10, // Herrljunga
};
