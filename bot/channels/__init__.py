"""Channel renderers and input channels. One renderer per channel."""
