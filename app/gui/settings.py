"""The user's preferences in QSettings, their mapping to AnalysisOptions, and the dialog.

Attributes of :class:`Settings` are read from QSettings on every access, so a value saved
by the dialog is what the next analysis uses. Tests point QSettings at a temporary ini file.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.core.base import paths
from app.core.base.results import AnalysisOptions

ORGANIZATION = "Ringkas"
APPLICATION = "Ringkas"
MAX_RECENT = 10
SUMMARY_LENGTHS = ("short", "medium", "long")
DEVICES = ("auto", "cpu", "cuda", "mps")


def _as_int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


class Settings:
    """Typed access to the window's QSettings (organisation "Ringkas", application "Ringkas")."""

    def __init__(self, qsettings: QSettings | None = None):
        self._q = qsettings or QSettings(ORGANIZATION, APPLICATION)

    @property
    def qsettings(self) -> QSettings:
        return self._q

    # --- analysis -----------------------------------------------------------------------

    def analysis_options(self) -> AnalysisOptions:
        length = str(self._q.value("analysis/summary_length", "medium"))
        device = str(self._q.value("analysis/device", "auto"))
        return AnalysisOptions(
            summary_length=length if length in SUMMARY_LENGTHS else "medium",
            summary_language=str(self._q.value("analysis/summary_language", "en")),
            summary_format=(
                "key-points"
                if self._q.value("analysis/summary_format", "prose") == "key-points"
                else "prose"
            ),
            device=device if device in DEVICES else "auto",
            threads=max(0, _as_int(self._q.value("analysis/threads", 0), 0)),
        )

    def set_analysis_options(self, options: AnalysisOptions) -> None:
        self._q.setValue("analysis/summary_length", options.summary_length)
        self._q.setValue("analysis/summary_language", options.summary_language)
        self._q.setValue("analysis/summary_format", options.summary_format)
        self._q.setValue("analysis/device", options.device)
        self._q.setValue("analysis/threads", int(options.threads))

    def set_summary_format(self, fmt: str) -> None:
        """``"prose"`` or ``"key-points"`` (a bullet list)."""
        if fmt in ("prose", "key-points"):
            self._q.setValue("analysis/summary_format", fmt)

    def set_summary_length(self, length: str) -> None:
        if length in SUMMARY_LENGTHS:
            self._q.setValue("analysis/summary_length", length)

    # --- appearance ---------------------------------------------------------------------

    @property
    def theme(self) -> str:
        value = str(self._q.value("appearance/theme", "system"))
        return value if value in ("system", "light", "dark") else "system"

    @theme.setter
    def theme(self, value: str) -> None:
        self._q.setValue("appearance/theme", value)

    @property
    def font_size(self) -> int:
        return min(24, max(8, _as_int(self._q.value("appearance/font_size", 11), 11)))

    @font_size.setter
    def font_size(self, value: int) -> None:
        self._q.setValue("appearance/font_size", int(value))

    # --- models folder ------------------------------------------------------------------

    @property
    def models_folder(self) -> str:
        """The folder the user chose ("" for the default)."""
        return str(self._q.value("models/folder", "") or "")

    @models_folder.setter
    def models_folder(self, value: str) -> None:
        self._q.setValue("models/folder", value or "")

    def models_dir(self) -> Path:
        """Where the model store lives: RINGKAS_MODELS_DIR wins over the setting."""
        return paths.models_dir(self.models_folder or None)

    # --- recent files -------------------------------------------------------------------

    def recent_files(self) -> list[str]:
        value = self._q.value("files/recent", [])
        if isinstance(value, str):
            value = [value] if value else []
        return [str(v) for v in (value or [])][:MAX_RECENT]

    def add_recent_file(self, path: str | os.PathLike[str]) -> None:
        # realpath, not Path.resolve(): resolve() raises RuntimeError on a symlink loop.
        path = os.path.realpath(os.fspath(path))
        recent = [p for p in self.recent_files() if p != path]
        self._q.setValue("files/recent", [path, *recent][:MAX_RECENT])

    def remove_recent_files(self, remove: list[str]) -> None:
        self._q.setValue("files/recent", [p for p in self.recent_files() if p not in remove])

    def clear_recent_files(self) -> None:
        self._q.setValue("files/recent", [])

    # --- window state -------------------------------------------------------------------

    def window_state(self, key: str) -> QByteArray | None:
        value = self._q.value(f"window/{key}")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_window_state(self, key: str, value: QByteArray) -> None:
        self._q.setValue(f"window/{key}", value)

    def sync(self) -> None:
        self._q.sync()


class SettingsDialog(QDialog):
    """Preferences: theme, font size, models folder, device, threads, summary length/language."""

    def __init__(self, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.setAccessibleName("Preferences")
        self._settings = settings
        options = settings.analysis_options()

        self.theme_box = QComboBox()
        self.theme_box.setAccessibleName("Theme")
        for value, label in (("system", "Follow the system"), ("light", "Light"), ("dark", "Dark")):
            self.theme_box.addItem(label, value)
        self.theme_box.setCurrentIndex(max(0, self.theme_box.findData(settings.theme)))

        self.font_size_box = QSpinBox()
        self.font_size_box.setAccessibleName("Reading font size")
        self.font_size_box.setRange(8, 24)
        self.font_size_box.setSuffix(" pt")
        self.font_size_box.setValue(settings.font_size)

        self.models_folder_edit = QLineEdit(settings.models_folder)
        self.models_folder_edit.setAccessibleName("Models folder")
        self.models_folder_edit.setPlaceholderText(str(paths.models_dir()))
        browse = QPushButton("Browse…")
        browse.setAccessibleName("Choose the models folder")
        browse.clicked.connect(self._choose_models_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.models_folder_edit, 1)
        folder_row.addWidget(browse)
        env_note = QLabel()
        env_note.setProperty("role", "meta")
        env_note.setWordWrap(True)
        if os.environ.get(paths.ENV_MODELS_DIR, "").strip():
            env_note.setText(
                f"{paths.ENV_MODELS_DIR} is set and takes precedence over this folder."
            )
        else:
            env_note.hide()

        self.device_box = QComboBox()
        self.device_box.setAccessibleName("Device")
        for value, label in (
            ("auto", "Automatic"),
            ("cpu", "CPU"),
            ("cuda", "NVIDIA GPU (CUDA)"),
            ("mps", "Apple GPU (MPS)"),
        ):
            self.device_box.addItem(label, value)
        self.device_box.setCurrentIndex(max(0, self.device_box.findData(options.device)))

        self.threads_box = QSpinBox()
        self.threads_box.setAccessibleName("Threads")
        self.threads_box.setRange(0, max(1, os.cpu_count() or 1) * 2)
        self.threads_box.setSpecialValueText("Automatic")
        self.threads_box.setValue(options.threads)

        self.length_box = QComboBox()
        self.length_box.setAccessibleName("Summary length")
        for value in SUMMARY_LENGTHS:
            self.length_box.addItem(value.capitalize(), value)
        self.length_box.setCurrentIndex(max(0, self.length_box.findData(options.summary_length)))

        self.language_box = QComboBox()
        self.language_box.setAccessibleName("Summary language")
        self.language_box.addItem("English", "en")
        self.language_box.addItem("The article's language", "source")
        self.language_box.setCurrentIndex(
            max(0, self.language_box.findData(options.summary_language))
        )

        form = QFormLayout()
        form.setVerticalSpacing(10)
        form.setHorizontalSpacing(16)
        form.addRow("Theme", self.theme_box)
        form.addRow("Reading font size", self.font_size_box)
        form.addRow("Models folder", folder_row)
        form.addRow("", env_note)
        form.addRow("Device", self.device_box)
        form.addRow("Threads", self.threads_box)
        form.addRow("Summary length", self.length_box)
        form.addRow("Summary language", self.language_box)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 20, 20, 16)
        layout.addLayout(form)
        layout.addSpacing(8)
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())

    def _choose_models_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, "Models folder", self.models_folder_edit.text() or str(paths.models_dir())
        )
        if folder:
            self.models_folder_edit.setText(folder)

    def apply(self) -> None:
        """Write the dialog's values to the settings."""
        s = self._settings
        s.theme = self.theme_box.currentData()
        s.font_size = self.font_size_box.value()
        s.models_folder = self.models_folder_edit.text().strip()
        current = s.analysis_options()
        s.set_analysis_options(
            AnalysisOptions(
                summary_length=self.length_box.currentData(),
                summary_language=self.language_box.currentData(),
                summary_format=current.summary_format,
                device=self.device_box.currentData(),
                threads=self.threads_box.value(),
                translate=current.translate,
                summarize=current.summarize,
                entities=current.entities,
            )
        )
        s.sync()

    def accept(self) -> None:
        self.apply()
        super().accept()
