"""Upload -> map the columns (once per school) -> preview -> confirm. Nothing is written before the
confirmation, and then everything at once."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from parents.importing import ImportRefused, edexml, may_import
from parents.importing.apply import confirm_import
from parents.importing.forms import ImportColumnsForm, ImportUploadForm
from parents.importing.mapping import missing, resolve
from parents.importing.models import ImportRun
from parents.importing.plan import make_plan
from parents.importing.tabular import read_table
from parents.importing.undo import undo_import
from parents.reminder_rules import welcomes_new_guardians
from schools.models import ImportBatch, ImportColumnMapping, School


def _school(request, pk):
    school = get_object_or_404(School.objects.visible_to(request.user), pk=pk)
    if not may_import(request.user, school):
        raise Http404
    return school


def _batch(request, school, batch_pk):
    # Only the uploader's own file: it may hold data of pupils another colleague should not see.
    return get_object_or_404(
        ImportBatch.objects.visible_to(request.user),
        pk=batch_pk,
        school=school,
        uploaded_by=request.user,
    )


def _remembered(school):
    mapping = ImportColumnMapping.objects.filter(school=school).first()
    return mapping.columns if mapping else {}


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request, pk):
    school = _school(request, pk)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            removed = 0
            if edexml.looks_like_edexml(data):
                data, removed = edexml.without_identifiers(data)  # never kept, not even a day
            else:
                read_table(data, upload.name)  # refuse a BSN column or a non-CSV before storing it
        except ImportRefused as error:
            form.add_error("file", str(error))
        else:
            ImportBatch.objects.filter(school=school, uploaded_by=request.user).delete()
            batch = ImportBatch.objects.create(
                school=school, uploaded_by=request.user, filename=upload.name[:200], content=data
            )
            if removed:
                messages.info(
                    request,
                    _("Het bestand had %(n)s BSN's of onderwijsnummers. Die zijn niet bewaard.")
                    % {"n": removed},
                )
            return redirect("parents:import-preview", pk=school.pk, batch_pk=batch.pk)
    runs = ImportRun.objects.filter(school=school).undoable()
    return render(
        request, "parents/import_upload.html", {"school": school, "form": form, "runs": runs}
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_columns(request, pk, batch_pk):
    school = _school(request, pk)
    batch = _batch(request, school, batch_pk)
    try:
        table = read_table(bytes(batch.content), batch.filename)
    except ImportRefused as error:
        messages.error(request, str(error))
        return redirect("parents:import-upload", pk=school.pk)
    form = ImportColumnsForm(
        request.POST or None,
        headers=table.headers,
        initial_columns=resolve(table.headers, _remembered(school)),
    )
    if request.method == "POST" and form.is_valid():
        ImportColumnMapping.objects.update_or_create(
            school=school, defaults={"columns": form.columns}
        )
        return redirect("parents:import-preview", pk=school.pk, batch_pk=batch.pk)
    context = {"school": school, "batch": batch, "form": form, "header_row": table.header_row}
    return render(request, "parents/import_columns.html", context)


def _planner(school, batch):
    """A function that plans the uploaded file against the database as it is when called; None
    while the columns of a CSV or Excel file are still to be chosen."""
    data = bytes(batch.content)
    if edexml.looks_like_edexml(data):
        return lambda: edexml.plan_edexml(school=school, data=data)
    table = read_table(data, batch.filename)
    columns = resolve(table.headers, _remembered(school))
    if missing(columns):
        return None
    return lambda: make_plan(school=school, table=table, columns=columns)


@login_required
@require_http_methods(["GET", "POST"])
def import_preview(request, pk, batch_pk):
    school = _school(request, pk)
    batch = _batch(request, school, batch_pk)
    try:
        planner = _planner(school, batch)
        if planner is None:
            return redirect("parents:import-columns", pk=school.pk, batch_pk=batch.pk)
        if request.method == "POST":
            result = confirm_import(
                make=planner,
                by=request,
                only_good_rows=request.POST.get("only_good_rows") == "1",
                mark_leavers=request.POST.get("mark_leavers") == "1",
                keep_parent_values=request.POST.get("take_file_values") != "1",
                filename=batch.filename,
            )
            batch.delete()
            messages.success(
                request,
                _("Ingelezen: %(a)s nieuw, %(c)s gewijzigd, %(l)s van school af.")
                % {"a": result.added, "c": result.changed, "l": result.left},
            )
            return redirect("parents:import-run", pk=school.pk, run_pk=result.run_id)
        plan = planner()
    except ImportRefused as error:
        messages.error(request, str(error))
        return redirect("parents:import-upload", pk=school.pk)
    context = {
        "school": school,
        "batch": batch,
        "plan": plan,
        "is_edexml": plan.source == "edexml",
        # New guardians hear from the school by the start-of-year welcome, or not at all.
        "welcomed": welcomes_new_guardians(school, timezone.localdate()),
    }
    return render(request, "parents/import_preview.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def import_run(request, pk, run_pk):
    """What an import did, with the button that undoes it (within a week)."""
    school = _school(request, pk)
    run = get_object_or_404(ImportRun.objects.visible_to(request.user), pk=run_pk, school=school)
    if request.method == "POST":
        try:
            undo_import(run=run, by=request)
        except ImportRefused as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("De import is teruggedraaid."))
        return redirect("parents:import-run", pk=school.pk, run_pk=run.pk)
    undoable = ImportRun.objects.undoable().filter(pk=run.pk).exists()
    return render(
        request, "parents/import_run.html", {"school": school, "run": run, "undoable": undoable}
    )
