-- purpose: the tables of one snapshot (DATA-CONTRACT v1 with the v2 additions), created empty by ingest
-- grain: cases one row per case in scope; officers one row per officer; abstractions one row per
--        spell; reinvestigations one row per reinvestigation (empty for a v1 extract)
-- Keys are unique because ingest refuses an extract with a duplicated key; they carry no index
-- (building one for 923,000 cases took 2 of the 100x extract's seconds, and nothing looks up by it)
create table cases (
    case_ref varchar not null,
    source_row integer not null,
    reported_date date not null,
    category varchar not null,
    bcu varchar not null,
    borough varchar not null,
    original_outcome varchar not null,
    victims integer not null,
    suspects integer not null,
    suspect_ethnicity_recorded varchar not null,
    priority varchar not null,
    status varchar not null,
    officer_ref varchar,
    allocated_date date,
    started_date date,
    completed_date date,
    qa_date date,
    outcome varchar,
    victim_support varchar not null,
    hours_spent double
);

create table officers (
    officer_ref varchar not null,
    source_row integer not null,
    team varchar not null,
    role varchar not null,
    fte double not null,
    start_date date not null,
    end_date date,
    workstream varchar not null default 'assessment'
);

create table abstractions (
    officer_ref varchar not null,
    source_row integer not null,
    from_date date not null,
    to_date date not null,
    reason varchar not null
);

create table reinvestigations (
    investigation_ref varchar not null,
    source_row integer not null,
    case_ref varchar not null,
    referred_date date not null,
    stage varchar not null,
    victim_consent varchar not null,
    lead_officer_ref varchar,
    opened_date date,
    suspects_identified integer not null,
    suspects_arrested integer not null,
    suspects_charged integer not null,
    isva varchar not null,
    closed_date date,
    closure_outcome varchar,
    hours_spent double
);

create table manifest (
    as_of date not null,
    ingested_at timestamp not null,
    contract_version varchar not null,
    software_version varchar not null,
    synthetic boolean not null,
    source_form varchar not null,
    source_path varchar not null,
    case_rows integer not null,
    officer_rows integer not null,
    abstraction_rows integer not null,
    warning_count integer not null,
    previous_as_of date
);

create table sources (
    file varchar not null,
    sha256 varchar not null,
    bytes bigint not null
);

create table warnings (
    code varchar not null,
    file varchar not null,
    row_number integer,
    column_name varchar,
    value varchar,
    message varchar not null
);

create table changes (
    case_ref varchar not null,
    change varchar not null,
    previous_status varchar,
    status varchar,
    previous_officer_ref varchar,
    officer_ref varchar
);

create table reinvestigation_changes (
    investigation_ref varchar not null,
    change varchar not null,
    previous_stage varchar,
    stage varchar
);
