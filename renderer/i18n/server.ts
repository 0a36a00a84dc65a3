/** Texts of server mode (a workstation of the unit's Utväg server), under t('server.…'). */
const sv = {
  unreachable: 'Servern går inte att nå just nu. Det du skrivit finns kvar – försök igen om en stund.',
  sessionEnded: 'Servern har startats om eller din session har avslutats. Logga in igen – det du skrev finns kvar.',
  connect: {
    choice: 'Anslut till enhetens server',
    choiceLead:
      'Om enheten har en Utväg-server med journalen: gör den här datorn till en arbetsplats mot den i stället för att skapa en journal här.',
    title: 'Anslut till enhetens server',
    lead: 'Journalen finns på enhetens Utväg-server. Den här datorn sparar ingen klientdata själv, bara serverns adress. Alla loggar in med sina konton på servern.',
    address: 'Serverns adress',
    addressHint: 'Till exempel https://utvag-server.exempel:8443. IT vet adressen.',
    withCa: 'Välj IT:s CA-fil (certifikatutfärdare) – behövs när serverns certifikat är utfärdat av enheten själv',
    submit: 'Kontrollera och anslut',
    working: 'Kontrollerar servern…',
    back: 'Skapa en journal på den här datorn i stället',
  },
};

type Messages = typeof sv;

const en: Messages = {
  unreachable: 'The server cannot be reached just now. What you typed is still here – try again in a while.',
  sessionEnded: 'The server was restarted or your session has ended. Sign in again – what you typed is still here.',
  connect: {
    choice: "Connect to the unit's server",
    choiceLead: 'If the unit has an Utväg server holding the journal: make this computer a workstation of it instead of creating a journal here.',
    title: "Connect to the unit's server",
    lead: "The journal is on the unit's Utväg server. This computer keeps no client data itself, only the server's address. Everyone signs in with their account on the server.",
    address: "Server's address",
    addressHint: 'For example https://utvag-server.example:8443. IT knows the address.',
    withCa: "Choose IT's CA file (certificate authority) – needed when the unit issued the server's certificate itself",
    submit: 'Check and connect',
    working: 'Checking the server…',
    back: 'Create a journal on this computer instead',
  },
};

export const serverMessages = { sv, en };
