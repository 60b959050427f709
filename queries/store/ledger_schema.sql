-- purpose: the release ledger: every figure the Mayor's office has been shown, in the data folder's store (settings().ledger_db)
-- grain: one row per release, table and cell; base cells are recorded once, by the first release that published them
-- params: none
create table if not exists release_cells (
    release date not null,
    table_name varchar not null,
    cell varchar not null,
    shown varchar not null,
    protection varchar not null,
    lo bigint not null,
    hi bigint,  -- null: no upper bound shown (a secondary suppression)
    base boolean not null,
    primary key (release, table_name, cell)
);
