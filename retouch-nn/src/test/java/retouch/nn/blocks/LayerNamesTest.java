package retouch.nn.blocks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.SequentialBlock;
import ai.djl.util.Pair;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Parameter names are part of every saved model (model.json lists them and loading checks them):
 * DJL derives them from block class names, so the engine guards inside {@link Layers} must keep
 * the names a plain convolution has, or no shipped model loads.
 */
class LayerNamesTest {
    @Test
    void convolutionParametersKeepDjlsConv2dNames() {
        SequentialBlock b = new SequentialBlock().add(Layers.convRelu(32)).add(Layers.conv(4, 3, false)).add(Layers.conv(32, 2, 2, false));
        List<String> names = b.getParameters().stream().map(Pair::getKey).toList();
        assertTrue(names.contains("01SequentialBlock_01Conv2d_weight"), names.toString());
        assertTrue(names.stream().filter(n -> n.endsWith("_weight")).allMatch(n -> n.contains("_01Conv2d_weight") || n.startsWith("03Conv2d")), names.toString());
    }
}
