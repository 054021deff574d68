"""The dashboards of a school (director, IB'er, board) and of a board (its members), with the
list of families not reached and the export of each table."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from absence.queries import info_card_figures
from care import queries as care_queries
from messaging import queries as messaging_queries
from parents.models import Language
from partnership.dashboards import exports as dashboard_exports
from partnership.dashboards import figures as dashboard
from partnership.dashboards import lists as dashboard_lists
from partnership.models import Partnership
from schools import permissions
from schools.models import Group, SchoolYear


def _year(request):
    """The school year of the ``jaar`` parameter, else the one running today (never created on
    a GET); an unknown year is a 404."""
    pk = request.GET.get("jaar", "")
    if pk:
        if not pk.isdigit():
            raise Http404
        return get_object_or_404(SchoolYear, pk=pk)
    today = timezone.localdate()
    return SchoolYear.objects.containing(today).first() or SchoolYear.objects.first()


def _group(request, school, year):
    """The group of the ``groep`` parameter; one of another school or year is a 404."""
    pk = request.GET.get("groep", "")
    if not pk:
        return None
    if not pk.isdigit() or year is None:
        raise Http404
    return get_object_or_404(Group, pk=pk, school=school, school_year=year)


def _language(request):
    """The guardians' language to filter on; an unknown code means all languages."""
    language = request.GET.get("taal", "")
    return language if language in Language.values else ""


def _school_context(request, pk, lists=False):
    """The school, year and group of a dashboard page. ``lists``: a page that names families or
    children, for the school's own director and IB'er only (404 for the board)."""
    school = get_object_or_404(dashboard.dashboard_schools(request.user), pk=pk)
    if lists and not dashboard_lists.may_see_lists(request.user, school):
        raise Http404
    year = _year(request)
    return school, year, _group(request, school, year)


@login_required
def school_dashboard(request, pk):
    school, year, group = _school_context(request, pk)
    language = _language(request)
    figures = (
        dashboard.school_dashboard(school, year, request.user, group, language) if year else None
    )
    return render(
        request,
        "dashboard/school_dashboard.html",
        {
            "school": school,
            "year": year,
            "group": group,
            "figures": figures,
            # The school-wide count of families who confirmed reading this year's card.
            "info_card": info_card_figures(school, year) if year else None,
            # Ideas and complaints as chances to improve: open, late and how fast answered.
            "feedback": care_queries.feedback_figures(school, year, timezone.localdate())
            if year
            else None,
            "can_see_lists": dashboard_lists.may_see_lists(request.user, school),
            "responses": messaging_queries.response_times_by_group(school, year, group)
            if year
            else None,
            "language": language,
            "languages": Language.choices,
            "years": SchoolYear.objects.all(),
            "group_choices": Group.objects.filter(school=school, school_year=year).order_by(
                "lowest_grade", "name"
            ),
        },
    )


@login_required
def not_reached_list(request, pk):
    # Also for the ouder-coordinator, who reads no dashboard but approaches these families.
    school = get_object_or_404(
        permissions.schools_where(request.user, permissions.REACH_READERS), pk=pk
    )
    year = _year(request)
    group = _group(request, school, year)
    language = _language(request)
    families = (
        dashboard_lists.not_reached(school, year, group, language, by=request.user) if year else []
    )
    return render(
        request,
        "dashboard/not_reached_list.html",
        {
            "school": school,
            "year": year,
            "group": group,
            "families": families,
            "language": language,
            "languages": Language.choices,
            "sees_dashboard": dashboard.may_see_school_dashboard(request.user, school),
        },
    )


@login_required
def figure_list(request, pk, figure):
    """The start conversations, families, moments, contacts, activities or goals behind one
    figure of the school dashboard, with the dashboard's year and group."""
    if figure not in dashboard_lists.FIGURE_LISTS:
        raise Http404
    school, year, group = _school_context(request, pk, lists=True)
    partnership = request.GET.get("partnerschap", "")
    language = _language(request)
    rows = (
        dashboard_lists.rows(figure, school, year, group, partnership, language, by=request.user)
        if year
        else []
    )
    return render(
        request,
        "dashboard/figure_list.html",
        {
            "school": school,
            "year": year,
            "group": group,
            "figure": dashboard_lists.FIGURE_LISTS[figure],
            "rows": rows,
            "partnership": dict(Partnership.choices).get(partnership, ""),
            "language": dict(Language.choices).get(language, ""),
        },
    )


@login_required
def school_export(request, pk, table, fmt):
    school, year, group = _school_context(
        request, pk, lists=table in dashboard_exports.NAMED_TABLES
    )
    if year is None or table not in dashboard_exports.SCHOOL_TABLES:
        raise Http404
    rows = dashboard_exports.SCHOOL_TABLES[table](
        school, year, request.user, group, _language(request)
    )
    stem = f"{school.brin or 'school'}-{school.pk}-{table}-{year.label}"
    return _download(rows, stem, fmt, dashboard_exports.SHEET_TITLES[table])


@login_required
def board_dashboard(request, pk):
    board = get_object_or_404(dashboard.dashboard_boards(request.user), pk=pk)
    year = _year(request)
    sort = request.GET.get("sort", "name")
    figures = dashboard.board_dashboard(board, year, request.user, sort) if year else None
    return render(
        request,
        "dashboard/board_dashboard.html",
        {
            "board": board,
            "year": year,
            "figures": figures,
            "years": SchoolYear.objects.all(),
            "columns": dashboard_exports.BOARD_SORT_COLUMNS,
            "responses": messaging_queries.response_times_by_school(
                board, year, [row["school"] for row in figures["schools"]]
            )
            if figures
            else None,
        },
    )


@login_required
def board_export(request, pk, fmt):
    board = get_object_or_404(dashboard.dashboard_boards(request.user), pk=pk)
    year = _year(request)
    if year is None:
        raise Http404
    rows = dashboard_exports.board_rows(board, year, request.user)
    stem = f"bestuur-{board.pk}-scholen-{year.label}"
    return _download(rows, stem, fmt, dashboard_exports.BOARD_SHEET_TITLE)


def _download(rows, stem, fmt, sheet_title):
    """The rows as a file; the name comes from ids and labels only, never from user input."""
    if fmt == "csv":
        body, content_type = dashboard_exports.csv_file(rows), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        body = dashboard_exports.xlsx_file(rows, sheet_title)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise Http404
    response = HttpResponse(body, content_type=content_type)
    safe_stem = "".join(c if c.isalnum() or c in "-_" else "-" for c in stem)
    response["Content-Disposition"] = f'attachment; filename="{safe_stem}.{fmt}"'
    return response
