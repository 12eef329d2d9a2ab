"""Docker engine access: the client, reading an image's config and files, base-image facts
from the local engine, and --probe. The docker SDK is imported only when a run needs it."""
