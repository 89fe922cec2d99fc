"""A local implementation of the Azure REST APIs azlake uses (ARM, ADLS Gen2 DFS, Livy).

The real Azure SDK clients talk to it, either in-process through `EmulatorAdapter` (a requests
transport adapter) or over HTTPS on loopback (`azlake emulator serve`).
"""

from azlake.emulator.core.app import Emulator, get_emulator

__all__ = ["Emulator", "get_emulator"]
