"""The synthetic demo programme: a review team simulated a working day at a time.

Everything here is invented. Case references are ``SYN-<year>-<nnnnn>``, reinvestigations
``SYN-RI-<nnnnn>`` and officers ``PPO-nnnn``, so nothing can be mistaken for a real case or
person. The mixes restate CALIBRATION.md; the planning figures (start date, scope, team,
ramp-up, attrition, referral rates, reinvestigation hours, and the teams hired in each
workstream, ``planned_headcount``) come from config/programme.toml, so the demo and the
planner agree. Every other tunable is a named
constant beside the code that uses it, commented as a demo assumption.

How it works (one module per thing):

- ``cases``: every record that exists, drawn once (the baseline 9,000 and the records the
  searches will find), with how hard each will be to assess;
- ``people``: officers joining in waves, part-timers, leavers who give notice;
- ``abstractions``: leave booked weeks ahead, Christmas, training, operations, sickness with
  a winter wave;
- ``scope``: records found in the first months, duplicates removed;
- ``assessment``: allocation, effort worked through each officer's hours, QA queues;
- ``episodes``: the things that go wrong, placed so the flags have something true to say;
- ``quality``: assessments re-dated and withdrawn;
- ``reinvestigation``: the second phase;
- ``simulation``: the week and its working days; ``extracts``: the Friday extract;
  ``build``: writing and ingesting the weekly extracts.

Prefix stability. Every draw in week k comes from ``numpy.random.default_rng([seed, k,
stream])`` and the simulation never looks past the day it is on, so the extract of a Friday
is the same whatever the build's end date: a build ``--through 2026-03-06`` is byte for byte
the first 18 weeks of the full one. Planned leave is booked in the week it is booked (and
so appears in extracts before it is taken); a leaver's end date appears from the week they
give notice. The wall clock is used only to choose the default end date (the last Friday on
or before today).

The story, as the extracts tell it (seed 42, to 27 November 2026):

- November 2025: 26 officers in four teams start on 3 November. While the files for the full
  assessments come from archive, they sweep the straightforward records (those whose
  original investigation charged, or a single victim and suspect closed for want of a
  suspect): about 1,100 desk-top checks of under two hours, so the first three weeks show
  15-17 completions per available FTE-week. Carried forward over the planned team (41 from
  mid-February) that pace would just about finish by 30 April: AMBER, the target reachable
  if the pace holds. The sweep swamps the sergeants' QA for a fortnight.
- December: the sweep is done; the high-priority assessments (five or so hours each, more for
  organised-group and institutional cases and old paper files) run at 6-7 per available
  FTE-week. Records found in the searches add about 240 cases by March (a linked series of
  30 from one children's home in January, given to one officer, who is overloaded for five
  weeks); about 40 duplicates vanish. Then the Christmas dip (most of the team on leave) and
  a winter sickness wave: the status turns RED and stays so.
- February 2026: two new teams (41 officers). New starters learn over four weeks; the pace
  recovers to 200-250 assessments a week.
- March: a team's sergeant is off sick for four weeks with no cover for three: that team's
  QA queue backs up to about 175. A high-priority record found in February waits six weeks
  unallocated while its scope is argued over. From mid-April an officer working one very
  large case alone completes nothing for weeks. In May a run of linked online cases given to
  one officer overloads them for a fortnight.
- 30 April: the target is missed, about half assessed. Cases that waited months for another
  agency's material go stale (over 90 days in assessment); a few assessments are sent back
  by QA, withdrawn after sign-off or re-dated; one team never records hours.
- September: the pool of cases awaiting allocation empties; as the work runs out, officers
  are released at the end of the week; the last assessment is completed in the first week of
  October 2026 and the assessment teams go.
- Reinvestigation: every ``reinvestigate`` assessment is referred a few days after its QA
  sign-off. The reinvestigation workstream stands up on 5 January 2026 and grows in six
  waves to 42 by November. The case-management system's reinvestigation module goes live
  with it, so **the first extract that carries reinvestigations.csv, and the workstream
  column in officers.csv, is Friday 9 January 2026** (``extracts.V2_FROM``); earlier
  extracts are contract v1, and no reinvestigation officer is in a v1 extract. Referrals
  made before then (about 170, from November and December's assessments) appear in that
  first v2 extract with their own referred dates, so the page's history begins at that
  snapshot. Victims are contacted (some wait past eight weeks in the spring backlog), most
  consent, investigations open as lead officers have room (each leads up to six), suspects
  are identified and arrested over months, the first charges come in the autumn, and by
  December 2026 about 500 consented reinvestigations are waiting for an investigator: the
  demand the workstream cannot meet.
"""

from reassess.demo.build import (
    DEFAULT_SEED,
    DemoBuild,
    DemoError,
    build_demo,
    default_through,
    extract_on,
    iter_weekly_extracts,
    resolve_through,
    write_demo_extracts,
)
from reassess.demo.extracts import V2_FROM, Extract, write_extract

__all__ = [
    "DEFAULT_SEED",
    "V2_FROM",
    "DemoBuild",
    "DemoError",
    "Extract",
    "build_demo",
    "default_through",
    "extract_on",
    "iter_weekly_extracts",
    "resolve_through",
    "write_demo_extracts",
    "write_extract",
]
