"""A number with "/" made before numbers were checked (an old import) used to make the
document list answer 500 for everyone and the training matrix 500 for its readers: the
document addresses now carry any number, escaped."""

from openqms.documents.models import Document, DocumentType
from openqms.training import actions as training


def test_the_list_the_document_the_matrix_and_my_tasks_still_answer(cast, signed_in, effective):
    Document.objects.filter(pk=effective.document_id).update(number="SOP/001")
    role = training.create_job_role(actor=cast.qa_lead, name="Engineer")
    training.add_requirement(
        actor=cast.qa_lead,
        job_role=role,
        kind="doc_type",
        doc_type=DocumentType.objects.get(code="procedure"),
    )
    training.take_job_role(actor=cast.qa_lead, person=cast.trainee, job_role=role)
    client = signed_in(cast.qa_lead)
    listing = client.get("/documents/")
    assert listing.status_code == 200
    link = "/documents/SOP%252F001/"
    assert f'href="{link}"' in listing.content.decode()
    page = client.get(link)
    assert page.status_code == 200 and "SOP/001" in page.content.decode()
    assert client.get(f"{link}A/").status_code == 200
    matrix = client.get("/training/matrix/")
    assert matrix.status_code == 200 and link in matrix.content.decode()
    assert client.get("/").status_code == 200
