"""Models: the catalogue of recommended models, the local model store and the installer.

Nothing here imports torch or transformers: describing, installing and verifying models
needs only the files (``huggingface_hub`` is imported inside the installer's functions).
"""

from app.core.models.catalog import CatalogEntry, install_hint, load_catalog
from app.core.models.store import InstalledModel, ModelStore

__all__ = ["CatalogEntry", "InstalledModel", "ModelStore", "install_hint", "load_catalog"]
