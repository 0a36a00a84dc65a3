-- Live screens (issue #14): each committed change that an open screen shows is announced on the
-- channel utvag_changes, which the server LISTENs to and pushes to the workstations of that side.
-- An event names only what changed: its kind, the site, the side and the local calendar day
-- (Europe/Stockholm; null where the change has no day). Never an id, a name or a time: a screen
-- that hears of a change reads again through the router, with its access log and side checks.
-- NOTIFY is sent when the transaction commits (never for one rolled back), once per distinct event.

CREATE FUNCTION notify_change(kind text, site text, side text, at timestamptz) RETURNS void
LANGUAGE sql VOLATILE AS $$
  SELECT pg_notify('utvag_changes', json_build_object(
    'kind', kind,
    'site', site,
    'side', side,
    'day', to_char(at AT TIME ZONE 'Europe/Stockholm', 'YYYY-MM-DD')
  )::text)
$$;

-- Appointments and group sessions: the day they were on and the day they are on now.
CREATE FUNCTION appointments_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM public.notify_change('appointments', OLD.site_id, OLD.side, OLD.starts_at);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM public.notify_change('appointments', NEW.site_id, NEW.side, NEW.starts_at);
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER appointments_changed AFTER INSERT OR UPDATE OR DELETE ON appointments
FOR EACH ROW EXECUTE FUNCTION appointments_changed();

-- Clients (and their contact details): the side of their track, before and after a change of it.
CREATE FUNCTION clients_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  subject record;
BEGIN
  IF TG_TABLE_NAME = 'clients' THEN
    IF TG_OP = 'UPDATE' THEN
      PERFORM public.notify_change('clients', OLD.site_id, public.separation_side(OLD.track), NULL);
    END IF;
    PERFORM public.notify_change('clients', NEW.site_id, public.separation_side(NEW.track), NULL);
  ELSE
    SELECT c.site_id, c.track INTO subject FROM public.clients c WHERE c.id = NEW.client_id;
    PERFORM public.notify_change('clients', subject.site_id, public.separation_side(subject.track), NULL);
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER clients_changed AFTER INSERT OR UPDATE ON clients FOR EACH ROW EXECUTE FUNCTION clients_changed();
CREATE TRIGGER client_contacts_changed AFTER INSERT OR UPDATE ON client_contacts FOR EACH ROW EXECUTE FUNCTION clients_changed();

-- Intakes and the waiting list: the client's site and side; an intake on the day it was received.
CREATE FUNCTION waiting_list_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  subject record;
BEGIN
  SELECT c.site_id, c.track INTO subject FROM public.clients c WHERE c.id = NEW.client_id;
  IF TG_TABLE_NAME = 'intakes' THEN
    PERFORM public.notify_change('intakes', subject.site_id, public.separation_side(subject.track), NEW.received_at);
  ELSE
    PERFORM public.notify_change('waiting_list', subject.site_id, public.separation_side(subject.track), NULL);
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER intakes_changed AFTER INSERT OR UPDATE ON intakes FOR EACH ROW EXECUTE FUNCTION waiting_list_changed();
CREATE TRIGGER waiting_list_changed AFTER INSERT OR UPDATE ON waiting_list FOR EACH ROW EXECUTE FUNCTION waiting_list_changed();

-- Groups and their members: the group's site and side.
CREATE FUNCTION groups_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  subject record;
  group_id text;
BEGIN
  IF TG_TABLE_NAME = 'groups' THEN
    group_id := NEW.id;
  ELSIF TG_OP = 'DELETE' THEN
    group_id := OLD.group_id;
  ELSE
    group_id := NEW.group_id;
  END IF;
  SELECT g.site_id, g.track INTO subject FROM public.groups g WHERE g.id = group_id;
  PERFORM public.notify_change('groups', subject.site_id, public.separation_side(subject.track), NULL);
  RETURN NULL;
END
$$;
CREATE TRIGGER groups_changed AFTER INSERT OR UPDATE ON groups FOR EACH ROW EXECUTE FUNCTION groups_changed();
CREATE TRIGGER group_members_changed AFTER INSERT OR UPDATE OR DELETE ON group_members FOR EACH ROW EXECUTE FUNCTION groups_changed();

REVOKE ALL ON FUNCTION notify_change(text, text, text, timestamptz), appointments_changed(), clients_changed(), waiting_list_changed(),
  groups_changed() FROM PUBLIC;
