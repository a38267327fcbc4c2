# URL groups with separate owners: the instructors' gradebook, sandbox sessions, and the
# catalog/workspace/grading (whose catch-all lab page comes after the fixed words).
from .urls_gradebook import urlpatterns as gradebook_urls
from .urls_sessions import urlpatterns as session_urls
from .urls_workspace import urlpatterns as workspace_urls

urlpatterns = gradebook_urls + workspace_urls + session_urls
