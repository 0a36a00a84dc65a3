import { orgView, routeTrack, saveEntrance, saveMunicipality, saveRoom, saveTherapist, saveWaitingRoom } from '../services/org.js';
import { type DomainHandlers } from './context.js';

/** The centre's premises, therapists and routes. */
export function orgHandlers(): DomainHandlers<
  'org.get' | 'org.saveWaitingRoom' | 'org.saveRoom' | 'org.saveEntrance' | 'org.setTrackRoute' | 'org.setMunicipality' | 'org.saveTherapist'
> {
  return {
    'org.get': (_input, { app }) => orgView(app.db),
    'org.saveWaitingRoom': (input, { app }) => saveWaitingRoom(app.db, input),
    'org.saveRoom': (input, { app }) => saveRoom(app.db, input),
    'org.saveEntrance': (input, { app }) => saveEntrance(app.db, input),
    'org.setTrackRoute': (input, { app }) => routeTrack(app.db, input),
    'org.setMunicipality': (input, { app }) => saveMunicipality(app.db, input),
    'org.saveTherapist': (input, { app }) => saveTherapist(app.db, input),
  };
}
