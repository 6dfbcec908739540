package retouch.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.IHelpSectionRenderer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.Messages;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * The help texts live in resource bundles next to each class (src/main/resources/retouch/cli/*.properties);
 * this completes what picocli does with them for the whole command tree, in one place.
 */
final class HelpTexts {
    private static final String EXIT_CODES_SECTION = "retouchExitCodes";

    private HelpTexts() {}

    /** {@code root} with the exit-code line after every retouch command's footer and each mixin's own descriptions. */
    static CommandLine complete(CommandLine root) {
        completeTree(root, Collections.newSetFromMap(new IdentityHashMap<>()));
        return root;
    }

    private static void completeTree(CommandLine cl, Set<CommandLine> done) {
        // Aliases (train restore = train denoise) map to the same CommandLine: visit each once.
        if (!done.add(cl) || cl.getCommand() instanceof CommandLine.HelpCommand) return;
        addExitCodes(cl.getCommandSpec().usageMessage());
        for (CommandSpec mixin : cl.getCommandSpec().mixins().values()) useOwnBundle(mixin);
        for (CommandLine sub : cl.getSubcommands().values()) completeTree(sub, done);
    }

    /** Renders {@link ExitCodes#HELP_FOOTER} after the footer, as if it were the footer's last line. */
    private static void addExitCodes(UsageMessageSpec usage) {
        List<String> keys = new ArrayList<>(usage.sectionKeys());
        keys.add(keys.indexOf(UsageMessageSpec.SECTION_KEY_FOOTER) + 1, EXIT_CODES_SECTION);
        Map<String, IHelpSectionRenderer> renderers = new LinkedHashMap<>(usage.sectionMap());
        renderers.put(EXIT_CODES_SECTION, help -> Help.join(help.ansi(), usage.width(),
                usage.adjustLineBreaksForWideCJKCharacters(), new String[] {ExitCodes.HELP_FOOTER}, new StringBuilder()).toString());
        usage.sectionKeys(keys).sectionMap(renderers);
    }

    /**
     * picocli looks a mixin's option descriptions up in the host command's bundle; pointing them at the
     * mixin's own bundle keeps each shared option described once, next to the mixin.
     */
    private static void useOwnBundle(CommandSpec mixin) {
        Messages own = mixin.usageMessage().messages();
        if (own != null) {
            for (OptionSpec option : mixin.options()) option.messages(own);
        }
        for (CommandSpec inner : mixin.mixins().values()) useOwnBundle(inner);
    }
}
