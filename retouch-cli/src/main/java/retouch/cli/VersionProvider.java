package retouch.cli;

import picocli.CommandLine;

/** Reports the build version from the jar manifest (or "dev" when run from classes). */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = RetouchCli.class.getPackage().getImplementationVersion();
        return new String[] {"retouch " + (v == null ? "dev" : v), "Java " + System.getProperty("java.version")};
    }
}
