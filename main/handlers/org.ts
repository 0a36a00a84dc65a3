import { orgView, routeTrack, saveEntrance, saveMunicipality, saveRoom, saveTherapist, saveWaitingRoom } from '../services/org.js';
import { type DomainHandlers } from './context.js';

/** The centre's premises, therapists and routes. */
export function orgHandlers(): DomainHandlers<
  'org.get' | 'org.saveWaitingRoom' | 'org.saveRoom' | 'org.saveEntrance' | 'org.setTrackRoute' | 'org.setMunicipality' | 'org.saveTherapist'
> {
  return {
    'org.get': (_input, { tx }) => orgView(tx),
    'org.saveWaitingRoom': (input, { tx }) => saveWaitingRoom(tx, input),
    'org.saveRoom': (input, { tx }) => saveRoom(tx, input),
    'org.saveEntrance': (input, { tx }) => saveEntrance(tx, input),
    'org.setTrackRoute': (input, { tx }) => routeTrack(tx, input),
    'org.setMunicipality': (input, { tx }) => saveMunicipality(tx, input),
    'org.saveTherapist': (input, { tx }) => saveTherapist(tx, input),
  };
}
