"""Emulated ADLS Gen2 data plane (DFS + the Blob calls the DataLake SDK makes) and ARM blobContainers."""
