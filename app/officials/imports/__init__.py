"""The officials spreadsheet import (DOMAIN §5.1): reading files (files), checking and planning
(importer, organizations), writing in bulk (writer), messages (messages) and the web pages
(routes)."""
