-- 0006_factsheet_flags: how fact sheets show an indicator, from the catalogue's `factsheet`
-- field (`leefbaar_model::FactsheetUse`), so that a sheet chooses its indicators from the
-- stored catalogue. Columns named after the model's fields; all NULL (and `factsheet_latest`
-- 0) for an indicator that is not on fact sheets. Adding columns keeps every row.
ALTER TABLE indicators ADD COLUMN factsheet_tile INTEGER CHECK (factsheet_tile >= 1);
ALTER TABLE indicators ADD COLUMN factsheet_latest INTEGER NOT NULL DEFAULT 0
    CHECK (factsheet_latest IN (0, 1));
ALTER TABLE indicators ADD COLUMN factsheet_chart TEXT;
ALTER TABLE indicators ADD COLUMN factsheet_label_nl TEXT;
ALTER TABLE indicators ADD COLUMN factsheet_label_en TEXT;
ALTER TABLE indicators ADD COLUMN factsheet_ranking INTEGER CHECK (factsheet_ranking >= 1);
