"""Upload -> map the columns (once per school) -> preview -> confirm. Nothing is written before the
confirmation, and then everything at once."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from parents.importing import ImportRefused, edexml, may_import
from parents.importing.apply import import_table
from parents.importing.forms import ImportColumnsForm, ImportUploadForm
from parents.importing.mapping import missing, resolve
from parents.importing.plan import make_plan
from parents.importing.tabular import read_table
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
            if not edexml.looks_like_edexml(data):
                read_table(data, upload.name)  # refuse a BSN column or a non-CSV before storing it
        except ImportRefused as error:
            form.add_error("file", str(error))
        else:
            ImportBatch.objects.filter(school=school, uploaded_by=request.user).delete()
            batch = ImportBatch.objects.create(
                school=school, uploaded_by=request.user, filename=upload.name[:200], content=data
            )
            return redirect("parents:import-preview", pk=school.pk, batch_pk=batch.pk)
    return render(request, "parents/import_upload.html", {"school": school, "form": form})


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
    return render(
        request, "parents/import_columns.html", {"school": school, "batch": batch, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_preview(request, pk, batch_pk):
    school = _school(request, pk)
    batch = _batch(request, school, batch_pk)
    data = bytes(batch.content)
    is_edexml = edexml.looks_like_edexml(data)
    try:
        if is_edexml:
            plan = edexml.plan_edexml(school=school, data=data)
        else:
            table = read_table(data, batch.filename)
            columns = resolve(table.headers, _remembered(school))
            if missing(columns):
                return redirect("parents:import-columns", pk=school.pk, batch_pk=batch.pk)
            plan = make_plan(school=school, table=table, columns=columns)
        if request.method == "POST":
            only_good = request.POST.get("only_good_rows") == "1"
            if is_edexml:
                result = edexml.import_edexml(
                    school=school, data=data, only_good_rows=only_good, by=request
                )
            else:
                result = import_table(
                    school=school,
                    table=table,
                    columns=columns,
                    by=request,
                    only_good_rows=only_good,
                )
            batch.delete()
            messages.success(
                request,
                _("Ingelezen: %(a)s nieuw, %(c)s gewijzigd, %(l)s van school af.")
                % {"a": result.added, "c": result.changed, "l": result.left},
            )
            return redirect("schools:school-detail", pk=school.pk)
    except ImportRefused as error:
        messages.error(request, str(error))
        return redirect("parents:import-upload", pk=school.pk)
    return render(
        request,
        "parents/import_preview.html",
        {"school": school, "batch": batch, "plan": plan, "is_edexml": is_edexml},
    )
