from django.urls import path

from clearsight.missing import views

app_name = "missing"

urlpatterns = [
    path("", views.board, name="board"),
    path("<int:pk>/", views.episode, name="episode"),
    path("report/<int:person_pk>/", views.report, name="report"),
    path("interviews/", views.interviews, name="interviews"),
    path("interviews/<int:pk>/", views.move_interview, name="move-interview"),
]
