/**
 * Word lists for the demo journal (`seed-demo`). Every person made from them is obviously invented:
 * common first names joined to surnames that no one carries ("Påhittsson", "Låtsasberg"), streets
 * that do not exist, and phone numbers from the series the Swedish Post and Telecom Authority (PTS)
 * keeps for fiction, which are never given to a subscriber. Nothing here comes from a real case.
 * Kept under main/cli/ because the CLI ships with the app and main/ may not import tests/.
 */
import type { Track } from '../../preload/domain/index.js';

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

export const INTAKE_REASONS: Record<Track, readonly string[]> = {
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

export const GROUP_NAMES: Record<Track, string> = {
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

// ---- Journal text ----------------------------------------------------------------------------
// Generic clinical phrasing of the kind a Swedish centre's notes use, assembled a few sentences at
// a time. It never names anyone: every entry speaks of "klienten" or "barnet", so a demo journal
// printed or shown on a screen gives away nobody, invented or not.

type ByTrack = Record<Track, readonly string[]>;

export const NOTE_OPENINGS: ByTrack = {
  victim: [
    'Individuellt samtal enligt behandlingsplanen.',
    'Uppföljande samtal, klienten kom i tid.',
    'Samtal i pågående stödkontakt.',
    'Planerat samtal. Klienten kom via huvudentrén och väntade i väntrum A.',
  ],
  perpetrator: [
    'Individuellt samtal enligt behandlingsprogrammet.',
    'Uppföljande samtal i pågående behandling.',
    'Planerat samtal, klienten kom i tid.',
    'Samtal enligt plan. Klienten hade gjort hemuppgiften.',
  ],
  child: [
    'Barnsamtal enligt plan.',
    'Uppföljande samtal med barnet, vårdnadshavaren väntade i väntrummet.',
    'Planerat barnsamtal.',
    'Samtal med barnet, inledningsvis tillsammans med vårdnadshavaren.',
  ],
};

export const NOTE_CONTENT: ByTrack = {
  victim: [
    'Klienten beskriver att veckan varit lugnare och att sömnen har blivit något bättre.',
    'Vi gick igenom säkerhetsplanen och uppdaterade vilka personer klienten kan kontakta vid akut fara.',
    'Samtalet handlade om skuld och skam kopplat till relationen; klienten kunde sätta ord på hur kontrollen har sett ut.',
    'Psykoedukation om traumareaktioner och om hur kroppen reagerar på långvarig stress.',
    'Klienten berättar om oro inför umgänget med barnen och om kontakten med familjerätten.',
    'Den tidigare partnern hör fortfarande av sig via sms; vi pratade om att spara och dokumentera kontakterna.',
    'Vi arbetade med grundningsövningar som klienten kan använda när minnen blir påträngande.',
    'Klienten uppger att inget nytt våld har förekommit sedan förra samtalet.',
    'Klienten har haft kontakt med socialtjänsten om boende och upplever att det går framåt.',
    'Vi pratade om vardagens struktur, om sömn och om att ta små steg tillbaka till arbetet.',
    'Klienten beskriver ökad oro inför rättegången; vi gick igenom vad som händer och vilket stöd som finns.',
    'Samtalet kretsade kring gränssättning och kontakten med den egna familjen.',
  ],
  perpetrator: [
    'Fortsatt arbete med ansvarstagande; klienten beskriver en situation under veckan där ilskan växte och en paus kunde tas i tid.',
    'Genomgång av våldskartläggningen: klienten kunde beskriva psykiskt våld som tidigare inte räknats som våld.',
    'Vi gjorde en kedjeanalys av en konflikt i hemmet: tankar, känslor, kroppsliga signaler och handling.',
    'Klienten tenderar att förminska sitt ansvar och lägga skulden på partnern; detta lyftes och bearbetades i samtalet.',
    'Vi pratade om hur barnen påverkas av våldet och om klientens ansvar som förälder.',
    'Klienten redovisar att timeout-planen har följts vid två tillfällen sedan förra samtalet.',
    'Alkoholens roll togs upp; klienten uppger att konsumtionen har minskat.',
    'Klienten uppger att inget nytt våld har förekommit. Riskfaktorerna gicks igenom på nytt.',
    'Samtalet handlade om kontroll och svartsjuka och om andra sätt att hantera oro i relationen.',
    'Vi övade på att uttrycka besvikelse utan hot eller nedvärderande ord.',
    'Klienten beskriver stress på arbetet och hur den tidigare har tagits ut hemma.',
  ],
  child: [
    'Samtal med stöd av bildmaterial. Barnet ritade sin familj och berättade om hur det är hemma.',
    'Barnet beskriver att det känns lugnare nu och att sömnen har blivit bättre.',
    'Vi pratade om känslor med hjälp av känslokort; barnet kunde sätta ord på rädsla och ilska.',
    'Barnet berättade om en händelse från hemmet; vi pratade om att våldet aldrig är barnets fel.',
    'Kort avstämning med vårdnadshavaren om vardagen, skolan och sömnen.',
    'Barnet har en trygg vuxen i skolan att vända sig till och vet vem det är.',
    'Lek och samtal om trygghet; vi gjorde en plan för vad barnet kan göra om det blir bråk hemma.',
    'Barnet verkade mer avslappnat än vid förra besöket och deltog aktivt.',
    'Barnet var tystare i dag; vi lekte mest och pratade lite om skolan.',
  ],
};

export const NOTE_CLOSINGS = [
  'Nästa samtal är bokat.',
  'Fortsatt samtalskontakt enligt plan.',
  'Vi fortsätter med samma fokus nästa gång.',
  'Hemuppgift till nästa gång: att skriva ner situationer som väcker oro.',
  'Ingen akut risk bedöms föreligga i dag.',
  'Säkerheten stämdes av i slutet av samtalet.',
] as const;

export const FIRST_CALL_NOTES: ByTrack = {
  victim: [
    'Telefonsamtal som första kontakt. Klienten berättar kort om sin situation och önskar samtalsstöd.',
    'Genomgång av vad Utväg kan erbjuda och hur kontakten går till.',
    'Frågor om aktuell säkerhet ställdes; klienten uppger att det är säkert att prata just nu.',
    'Vi kom överens om säkra sätt och tider att nå klienten.',
    'Första besök erbjuds.',
  ],
  perpetrator: [
    'Telefonsamtal som första kontakt. Klienten vill ha hjälp att sluta använda våld.',
    'Information om behandlingsprogrammet och om att kontakten bygger på frivillighet.',
    'Information om anmälningsplikt när barn far illa.',
    'Första besök erbjuds.',
  ],
  child: [
    'Telefonsamtal med vårdnadshavaren inför kontakt med barnet.',
    'Information om barnsamtalen och om hur ett första besök går till.',
    'Vårdnadshavaren beskriver barnets oro och sömnsvårigheter.',
    'Första besök erbjuds, barnet och vårdnadshavaren kommer tillsammans.',
  ],
};

export const ASSESSMENT_NOTES: ByTrack = {
  victim: [
    'Klienten beskriver psykiskt och fysiskt våld under flera år, senast för några veckor sedan.',
    'Det finns barn i hushållet; frågan om orosanmälan till socialtjänsten har tagits upp med klienten.',
    'Klienten har stöd av en närstående vän och av sin syster.',
    'Sömnproblem, oro och koncentrationssvårigheter beskrivs.',
    'Klienten är sjukskriven på halvtid sedan en månad.',
    'Ekonomiskt våld beskrivs: partnern har haft kontroll över klientens konto.',
  ],
  perpetrator: [
    'Klienten beskriver fysiskt och psykiskt våld mot partnern; ansvarstagandet är delvis.',
    'Klienten är motiverad till förändring och vill delta i behandling.',
    'Missbruk och psykisk ohälsa screenades; inga tecken på pågående missbruk.',
    'Det finns barn i familjen som har bevittnat våld; socialtjänsten är informerad.',
    'Klienten har tidigare dom för ringa misshandel och har kontakt med frivården.',
  ],
  child: [
    'Barnet har bevittnat våld mellan föräldrarna vid upprepade tillfällen.',
    'Barnet beskriver oro, svårt att sova och att det är jobbigt i skolan.',
    'Skattningsformulär för traumasymtom genomfört med stöd.',
    'Barnet bor nu med den förälder som har utsatts för våld och har inget umgänge med den andra.',
  ],
};

export const ASSESSMENT_OPENINGS: ByTrack = {
  victim: ['Första besök. Bedömningssamtal om våldsutsatthet, hälsa och aktuell livssituation.'],
  perpetrator: ['Första besök. Bedömningssamtal om våldsanvändning, motivation och riskfaktorer.'],
  child: ['Första besök tillsammans med vårdnadshavaren, därefter enskilt samtal med barnet.'],
};

export const RISK_LEVELS = ['låg', 'måttlig', 'förhöjd'] as const;

export const TREATMENT_GOALS: ByTrack = {
  victim: [
    'Mål: ökad trygghet i vardagen och en säkerhetsplan som klienten kan använda.',
    'Mål: minskade traumasymtom och bättre sömn.',
    'Mål: stärkt självkänsla och ett fungerande stödnätverk.',
  ],
  perpetrator: [
    'Mål: att klienten upphör med allt våld och tar ansvar för det som har hänt.',
    'Mål: att klienten känner igen sina varningssignaler och använder sin timeout-plan.',
    'Mål: ökad förståelse för hur barnen påverkas av våldet.',
  ],
  child: [
    'Mål: att barnet får sätta ord på det som har hänt och förstå att det inte är barnets fel.',
    'Mål: minskad oro och bättre sömn.',
    'Mål: att barnet vet vart det kan vända sig om det blir otryggt igen.',
  ],
};

export const CLOSING_SUMMARIES: ByTrack = {
  victim: [
    'Klienten beskriver att livssituationen har stabiliserats och att säkerheten är bättre.',
    'Traumasymtomen har minskat enligt skattningen vid avslut.',
    'Klienten har ett stödnätverk och vet hur Utväg kan kontaktas igen vid behov.',
  ],
  perpetrator: [
    'Klienten har genomfört programmet och kan beskriva egna varningssignaler och strategier.',
    'Klienten uppger att inget våld har förekommit under de senaste månaderna.',
    'Information om var klienten kan söka stöd igen har lämnats.',
  ],
  child: [
    'Barnet och vårdnadshavaren beskriver att vardagen fungerar bättre.',
    'Barnet har kunnat berätta om det som hänt och har fått kunskap om våld.',
    'Vårdnadshavaren vet hur Utväg kan kontaktas igen vid behov.',
  ],
};

export const CLOSING_REASONS = [
  'Kontakten avslutas enligt plan.',
  'Kontakten avslutas på klientens egen begäran.',
  'Kontakten avslutas efter uteblivna besök.',
] as const;

export const NO_SHOW_NOTES = [
  'Klienten uteblev från bokat besök.',
  'Försök att nå klienten via de säkra kontaktvägarna, utan svar.',
  'Ingen kontakt togs, eftersom det inte är säkert att ringa enligt klientens instruktioner.',
  'Ny tid erbjuds.',
] as const;

export const GROUP_THEMES: ByTrack = {
  victim: ['normala reaktioner efter våld', 'gränser och självkänsla', 'säkerhet och nätverk', 'att gå vidare'],
  perpetrator: ['olika former av våld', 'ansvar och bortförklaringar', 'hur barnen påverkas', 'känslor och varningssignaler'],
  child: ['känslor och kroppen', 'trygga vuxna', 'att det aldrig är barnets fel', 'att säga ifrån'],
};

export const GROUP_PARTICIPATION = [
  'Klienten deltog aktivt och delade egna erfarenheter.',
  'Klienten var tystare än vanligt men följde med i övningarna.',
  'Klienten gav stöd till andra i gruppen.',
  'Klienten kom något sent men deltog resten av sessionen.',
] as const;

/** Why a signed entry was amended, and the line added to the corrected text. */
export const AMENDMENTS: readonly (readonly [reason: string, correction: string])[] = [
  ['Fel datum för händelsen angavs', 'Rättelse: händelsen som beskrivs inträffade veckan före, inte samma vecka.'],
  ['Uppgift om kontakt med socialtjänsten saknades', 'Tillägg: klienten har även haft kontakt med socialtjänsten under perioden.'],
  ['Felskrivning i anteckningen', 'Rättelse: en felskrivning är rättad, innehållet i övrigt oförändrat.'],
  ['Förtydligande efter samråd med kollega', 'Förtydligande: planen har stämts av med klienten och gäller från nästa vecka.'],
];

export const EMERGENCY_REASONS = [
  'Ordinarie behandlare sjuk; klienten ringde i akut kris och behövde stöd samma dag',
  'Klienten kom oanmäld i akut behov och ordinarie behandlare var inte i tjänst',
  'Ordinarie behandlare på semester; brådskande samråd med socialtjänsten om barnens säkerhet',
] as const;

export const EMERGENCY_NOTES = [
  'Akut kontakt i ordinarie behandlares frånvaro.',
  'Stödsamtal per telefon; säkerhetsplanen gicks igenom.',
  'Ordinarie behandlare informeras vid återkomst.',
] as const;

export const REVIEW_NOTES = ['Granskad, motiverad nödåtkomst', 'Granskad tillsammans med enhetschefen', 'Granskad, ingen anmärkning'] as const;

export const ASSESSMENT_CONCLUSIONS: ByTrack = {
  victim: ['Bedömning: behov av stödsamtal med fokus på säkerhet och bearbetning.'],
  perpetrator: ['Bedömning: lämplig för behandlingsprogrammet, i grupp eller individuellt.'],
  child: ['Bedömning: behov av samtalsstöd, individuellt eller i barngrupp.'],
};

export function riskSentence(track: Track, level: string): string {
  const what = track === 'perpetrator' ? 'fortsatt våldsutövande' : 'upprepat våld';
  return `Strukturerad riskbedömning genomförd; risken för ${what} bedöms som ${level} i dagsläget.`;
}

export const PLAN_OPENINGS: ByTrack = {
  victim: ['Behandlingsplan upprättad tillsammans med klienten.'],
  perpetrator: ['Behandlingsplan upprättad tillsammans med klienten.'],
  child: ['Behandlingsplan upprättad tillsammans med barnet och vårdnadshavaren.'],
};

export const PLAN_EFFORTS = {
  group: 'Insats: gruppbehandling, med individuella samtal vid behov.',
  weekly: 'Insats: individuella samtal varje vecka.',
  fortnightly: 'Insats: individuella samtal varannan vecka.',
} as const;

export const PLAN_FOLLOW_UP = 'Uppföljning efter tre månader.';
export const CLOSING_OPENING = 'Avslutande sammanfattning.';

export function groupSessionSentence(groupName: string, theme: string): string {
  return `Gruppsession i ${groupName}. Tema: ${theme}.`;
}
