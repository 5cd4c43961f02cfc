"""OpenQMS: an open-source electronic quality management system for medical-device makers."""

__version__ = "0.2.0"
