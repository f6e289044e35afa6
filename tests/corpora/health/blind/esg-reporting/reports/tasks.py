from celery import shared_task


@shared_task
def render_pdf(report_id: int) -> str:
    from weasyprint import HTML

    from .models import Report

    report = Report.objects.get(pk=report_id)
    path = f"/tmp/esg-{report.entity}-{report.year}.pdf"
    HTML(string=f"<h1>{report.entity} {report.year}</h1>").write_pdf(path)
    return path
