"""埼玉県自立相談支援機能強化事業 (要綱004): outreach to people in hardship of the 就職氷河期世代.

models/       setup.py (agencies, contracts, workers, cohort, resource directory),
              clients.py (clients, contacts), support.py (plans, reviews, meetings, linkages, outcomes)
classification.py  the one pure function that flags a contact as weekend / holiday / year-end / after-hours
search.py     the normalised name key (NFKC, hiragana → katakana, no spaces)
services.py   every write: validate, year lock, save, grant, audit in one transaction
selectors/    every read, scoped to the viewer: lists.py (pages, CSV) and counts.py (summary, annual report)
forms.py, views/, urls.py, templates/outreach/, admin.py, demo.py (seed_demo)

The tenant boundary is the contractor (TenantModel.organisation) and, within it, the agency:
an outreach worker sees only the records of the agency their OutreachWorker record places
them in; prefecture staff see everything; health-centre staff and coordinators nothing.
"""
