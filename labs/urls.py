# Two URL groups with separate owners: sandbox sessions, and the catalog/workspace/grading.
from .urls_sessions import urlpatterns as session_urls
from .urls_workspace import urlpatterns as workspace_urls

urlpatterns = workspace_urls + session_urls
