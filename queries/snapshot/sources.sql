-- purpose: the source files one snapshot was built from, with their SHA-256
-- grain: one row per source file
-- params: none
select file, sha256, bytes
from sources
order by file;
