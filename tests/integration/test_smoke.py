def test_stack_comes_up(stack):
    with stack.client("gebieden") as c:
        r = c.get("/focusgebieden", params={"pageSize": 100})
    assert r.status_code == 200
    assert r.json()["totaal"] == 20
