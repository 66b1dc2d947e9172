"""A change in gebieden reaches the rapportage view through the outbox, Kafka and the consumer."""

from decimal import Decimal

from tests.integration.helpers import (
    INTERVENTIES,
    interventie_body,
    new_focusgebied,
    totals,
    voortgang,
    wait_until,
)


class TestInterventieLifecycleInView:
    def test_create_update_delete_show_up_in_the_view(self, stack):
        code = new_focusgebied(stack)
        auth = stack.auth("BZK", *INTERVENTIES)
        with stack.client("gebieden") as c:
            first = c.post("/interventies", json=interventie_body(code), headers=auth)
            second = c.post("/interventies", json=interventie_body(
                code, actielijn=3, ministerie="BZK", outputEenheid="trajecten",
                geplandeOutput="5.5"), headers=auth)
        assert first.status_code == second.status_code == 201

        view = wait_until(lambda: (v := voortgang(stack, code)) and totals(v)[0] == 2 and v,
                          message="twee interventies in de view")
        by_line = {a["actielijn"]: a for a in view["actielijnen"]}
        assert by_line[2]["output"] == [{"eenheid": "woningen", "gepland": "10.00",
                                         "gerealiseerd": "0.00"}]
        assert Decimal(by_line[3]["output"][0]["gepland"]) == Decimal("5.5")
        assert view["stand"]["laatsteEventId"] is not None

        changed = interventie_body(code, status="lopend", gerealiseerdeOutput="4")
        with stack.client("gebieden") as c:
            r = c.put(f"/interventies/{first.json()['id']}", json=changed,
                      headers={**auth, "If-Match": first.headers["ETag"]})
        assert r.status_code == 200, r.text
        assert r.headers["ETag"] == '"2"'
        view = wait_until(lambda: (v := voortgang(stack, code)) and totals(v)[1].get("lopend")
                          == 1 and v, message="status lopend in de view")
        by_line = {a["actielijn"]: a for a in view["actielijnen"]}
        assert by_line[2]["output"][0]["gerealiseerd"] == "4.00"

        with stack.client("gebieden") as c:
            r = c.delete(f"/interventies/{second.json()['id']}",
                         headers={**auth, "If-Match": second.headers["ETag"]})
        assert r.status_code == 204
        view = wait_until(lambda: (v := voortgang(stack, code)) and totals(v)[0] == 1 and v,
                          message="één interventie over na verwijderen")
        assert totals(view) == (1, {"lopend": 1})

    def test_view_reports_the_last_applied_event(self, stack):
        code = new_focusgebied(stack)
        with stack.client("gebieden") as c:
            r = c.post("/interventies", json=interventie_body(code),
                       headers=stack.auth("BZK", *INTERVENTIES))
        assert r.status_code == 201
        view = wait_until(lambda: (v := voortgang(stack, code)) and totals(v)[0] == 1 and v)
        stand = view["stand"]
        assert stand["laatsteEventTijd"].endswith("Z")
        assert stand["bijgewerktOp"] >= stand["laatsteEventTijd"]

    def test_unknown_focusgebied_in_rapportage_is_404_problem(self, stack):
        with stack.client("rapportage") as c:
            r = c.get("/voortgang/focusgebieden/bestaat-niet")
        assert r.status_code == 404
        assert r.headers["content-type"] == "application/problem+json"

    def test_reference_areas_reach_the_rapportage_read_model(self, stack):
        with stack.client("rapportage") as c:
            r = wait_until(lambda: (resp := c.get("/voortgang/focusgebieden",
                                                  params={"pageSize": 100}))
                           and resp.json()["totaal"] >= 20 and resp)
        codes = {item["focusgebied"] for item in r.json()["resultaten"]}
        assert {"rotterdam-zuid", "utrecht-overvecht", "zaandam-oost"} <= codes
