import datetime as dt

from fixtures import reference

from rcm_tables.tables import annex1


def test_scale_of_the_secretariat_only():
    t = annex1.build(None, reference(), dt.date(2012, 1, 1))
    assert t.to_dict("records") == [{"country": "A", "share_pct": 60.0, "assessed_usd": 60000},
                                    {"country": "B", "share_pct": 40.0, "assessed_usd": 40000}]
