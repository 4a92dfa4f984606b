"""The app server (port 5055): rasa-sdk action endpoint plus Sauda's own HTTP API and pages."""
