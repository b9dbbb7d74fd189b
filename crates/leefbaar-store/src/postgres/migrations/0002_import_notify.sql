-- Every committed import announces its key on the channel `leefbaar_import` (payload: the
-- schema and the key), so `serve` keeps the key of the latest import in memory instead of
-- reading it on every request (`postgres/watch.rs`). A trigger rather than a statement in the
-- importer: any writer of `imports` announces, and PostgreSQL delivers a notification only
-- when its transaction commits, so no reader hears of an import it cannot see yet.
CREATE FUNCTION leefbaar_announce_import() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('leefbaar_import', TG_TABLE_SCHEMA || ' ' || NEW.id);
    RETURN NULL;
END
$$;

CREATE TRIGGER imports_announce AFTER INSERT ON imports
    FOR EACH ROW EXECUTE FUNCTION leefbaar_announce_import();
