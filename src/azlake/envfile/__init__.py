"""The environment language: models, loading (YAML, extends:, ${VAR}, secrets), names and Azure rules."""
