-- purpose: the reinvestigation funnel of a snapshot: how far each reinvestigation has got, counted cumulatively (a reinvestigation counts at every stage up to the furthest it has reached), closures by outcome, victim support (ISVA) and the stage each is at now
-- grain: one row
-- params: none
-- access: aggregate
-- counts: referred, engaged, consent_given, opened, suspects_identified, arrested, charged, closed, open, closed_charged_all, closed_charged_some, closed_nfa_evidential, closed_nfa_victim_withdrew, closed_linked_to_other, closed_other, isva_not_offered, isva_offered, isva_accepted, isva_declined, isva_accepted_open, at_awaiting_contact, at_victim_engaged, at_investigating, at_charging_decision, at_charged, furthest_referred, furthest_engaged, furthest_consent_given, furthest_opened, furthest_suspects_identified, furthest_arrested, furthest_charged
with reached as (
    select
        r.*,
        r.opened_date is not null as f_opened,
        r.victim_consent = 'given' or r.opened_date is not null as f_consent,
        r.victim_consent in ('given', 'declined')
            or r.opened_date is not null
            or r.stage in ('victim_engaged', 'investigating', 'charging_decision', 'charged')
            as f_engaged
    from reinvestigations as r
),

flags as (
    select
        stage,
        isva,
        closure_outcome,
        f_engaged,
        f_consent,
        f_opened,
        f_opened and suspects_identified > 0 as f_identified,
        f_opened and suspects_arrested > 0 as f_arrested,
        f_opened and suspects_charged > 0 as f_charged
    from reached
)

select
    count(*) as referred,
    count(*) filter (where f_engaged) as engaged,
    count(*) filter (where f_consent) as consent_given,
    count(*) filter (where f_opened) as opened,
    count(*) filter (where f_identified) as suspects_identified,
    count(*) filter (where f_arrested) as arrested,
    count(*) filter (where f_charged) as charged,
    count(*) filter (where stage = 'closed') as closed,
    count(*) filter (where stage <> 'closed') as open,
    count(*) filter (where closure_outcome = 'charged_all') as closed_charged_all,
    count(*) filter (where closure_outcome = 'charged_some') as closed_charged_some,
    count(*) filter (where closure_outcome = 'nfa_evidential') as closed_nfa_evidential,
    count(*) filter (where closure_outcome = 'nfa_victim_withdrew') as closed_nfa_victim_withdrew,
    count(*) filter (where closure_outcome = 'linked_to_other') as closed_linked_to_other,
    count(*) filter (where closure_outcome = 'other') as closed_other,
    count(*) filter (where isva = 'not_offered') as isva_not_offered,
    count(*) filter (where isva = 'offered') as isva_offered,
    count(*) filter (where isva = 'accepted') as isva_accepted,
    count(*) filter (where isva = 'declined') as isva_declined,
    count(*) filter (where isva = 'accepted' and stage <> 'closed') as isva_accepted_open,
    count(*) filter (where stage = 'awaiting_contact') as at_awaiting_contact,
    count(*) filter (where stage = 'victim_engaged') as at_victim_engaged,
    count(*) filter (where stage = 'investigating') as at_investigating,
    count(*) filter (where stage = 'charging_decision') as at_charging_decision,
    count(*) filter (where stage = 'charged') as at_charged,
    -- the furthest stage reached: one partition of the referred, for disclosure control
    count(*) filter (where not f_engaged) as furthest_referred,
    count(*) filter (where f_engaged and not f_consent) as furthest_engaged,
    count(*) filter (where f_consent and not f_opened) as furthest_consent_given,
    count(*) filter (where f_opened and not f_identified) as furthest_opened,
    count(*) filter (where f_identified and not f_arrested) as furthest_suspects_identified,
    count(*) filter (where f_arrested and not f_charged) as furthest_arrested,
    count(*) filter (where f_charged) as furthest_charged
from flags;
