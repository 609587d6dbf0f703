"""Small widgets and layouts shared by several feature packages."""
