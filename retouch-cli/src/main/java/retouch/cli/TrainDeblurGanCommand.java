package retouch.cli;

import picocli.CommandLine.Command;

/** {@code retouch train deblur-gan}: the inpainting trainer's U-Net and PatchGAN, trained to sharpen blurred images. */
@Command(name = "deblur-gan", mixinStandardHelpOptions = true,
        description = {"Train a U-Net that sharpens blurred images (Gaussian or motion blur, mild noise) with a spectrally",
                "normalised PatchGAN discriminator (hinge loss) next to an L1 loss; the options are train inpaint's.",
                "Running it again on the same --out resumes."},
        footer = {"%nExample:",
                "  retouch train deblur-gan --data train400 --size 64 --steps 20000 --out runs/deblur-gan-gray",
                ExitCodes.HELP_FOOTER})
public final class TrainDeblurGanCommand extends TrainInpaintCommand {
    @Override
    String defaultTask() {
        return "deblur-gan";
    }
}
