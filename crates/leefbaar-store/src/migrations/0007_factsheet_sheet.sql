-- 0007_factsheet_sheet: which fact sheet (a theme id such as `hartveilig`) shows an indicator,
-- from the catalogue's `factsheet.sheet` (`leefbaar_model::FactsheetUse::sheet`); NULL for the
-- livability sheet and for an indicator that is not on fact sheets. Adding a column keeps
-- every row.
ALTER TABLE indicators ADD COLUMN factsheet_sheet TEXT;
