from types import SimpleNamespace

from django.views import View

from accounts.routing import crud_urls


def _views(*kinds):
    return SimpleNamespace(**{f"Thing{kind}View": type(f"Thing{kind}View", (View,), {}) for kind in kinds})


def test_crud_urls_gives_the_five_routes_of_a_concept():
    module = _views("List", "Create", "Detail", "Update", "Delete")
    routes = crud_urls("things", "thing", module, "Thing")
    assert [(str(r.pattern), r.name) for r in routes] == [
        ("things/", "thing_list"),
        ("things/new/", "thing_create"),
        ("things/<int:pk>/", "thing_detail"),
        ("things/<int:pk>/edit/", "thing_update"),
        ("things/<int:pk>/delete/", "thing_delete"),
    ]
    assert routes[0].callback.view_class is module.ThingListView


def test_crud_urls_takes_a_function_list_a_csv_route_and_leaves_out_create_and_detail():
    module = _views("Update", "Delete")

    def thing_list(request): ...

    def thing_csv(request): ...

    routes = crud_urls(
        "things", "thing", module, "Thing", list_view=thing_list, csv_view=thing_csv, create=False, detail=False
    )
    assert [(str(r.pattern), r.name) for r in routes] == [
        ("things/", "thing_list"),
        ("things/csv/", "thing_csv"),
        ("things/<int:pk>/edit/", "thing_update"),
        ("things/<int:pk>/delete/", "thing_delete"),
    ]
    assert routes[0].callback is thing_list
    assert routes[1].callback is thing_csv
