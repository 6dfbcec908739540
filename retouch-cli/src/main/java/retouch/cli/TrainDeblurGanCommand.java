package retouch.cli;

import picocli.CommandLine.Command;

/** {@code retouch train deblur-gan}: the inpainting trainer's U-Net and PatchGAN, trained to sharpen blurred images. */
// Help texts: src/main/resources/retouch/cli/TrainInpaintCommand.properties, shared with train inpaint (the options are its own)
@Command(name = "deblur-gan", resourceBundle = "retouch.cli.TrainInpaintCommand", mixinStandardHelpOptions = true)
public final class TrainDeblurGanCommand extends TrainInpaintCommand {
    @Override
    String defaultTask() {
        return "deblur-gan";
    }
}
