// vigil.observability TEST STAND-IN frontend bundle (not Uptime Kuma).
document.title = "Uptime Kuma (stand-in)";
