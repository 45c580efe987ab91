"""Stages that turn an uploaded file into a checked record; `pipeline.runner` lists them in order."""
