"""`azlake import`: read what exists in a resource group and write the environment file a person would."""
